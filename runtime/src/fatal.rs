//! A start-up error people can see. It goes to stderr; a Windows release build has no console
//! (`windows_subsystem = "windows"`), so when stderr leads nowhere the error also shows in a message
//! box. With stderr redirected (a test, a script) or on a console (a debug build) there is no box to
//! wait on.

pub fn show(message: &str) {
    eprintln!("error: {message}");
    #[cfg(windows)]
    if !win::has_stderr() {
        win::message_box(message);
    }
}

#[cfg(windows)]
mod win {
    use windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE;
    use windows_sys::Win32::System::Console::{GetStdHandle, STD_ERROR_HANDLE};
    use windows_sys::Win32::UI::WindowsAndMessaging::{MessageBoxW, MB_ICONERROR, MB_OK};

    /// A console or a redirect receives stderr: a GUI program started from Explorer has no handle.
    pub fn has_stderr() -> bool {
        // SAFETY: GetStdHandle only reads the process's standard handle table.
        let handle = unsafe { GetStdHandle(STD_ERROR_HANDLE) };
        !handle.is_null() && handle != INVALID_HANDLE_VALUE
    }

    pub fn message_box(message: &str) {
        let caption = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "localpack app".into());
        let text = wide(&format!("The app could not start:\n\n{message}"));
        let caption = wide(&caption);
        let (owner, style) = (std::ptr::null_mut(), MB_OK | MB_ICONERROR);
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call; no owner window.
        unsafe { MessageBoxW(owner, text.as_ptr(), caption.as_ptr(), style) };
    }

    fn wide(text: &str) -> Vec<u16> {
        text.encode_utf16().chain(std::iter::once(0)).collect()
    }
}
