//! Which URLs stay in the app window; the others go to the system browser.

/// Whether a navigation to `scheme://host` stays in the app. `hosts` are lowercase punycode globs.
pub fn is_internal(hosts: &[String], scheme: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    match scheme {
        "http" | "https" => hosts
            .iter()
            .any(|pattern| glob_match(pattern.as_bytes(), host.as_bytes())),
        // The app's own pages; mailto:, tel: and every other scheme belong to other programs.
        "localpack" | "about" | "data" | "blob" => true,
        _ => false,
    }
}

/// `*` matches any run of characters, everything else itself.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob_match(rest, &text[i..])),
        Some((c, rest)) => text
            .split_first()
            .is_some_and(|(t, text)| t == c && glob_match(rest, text)),
    }
}

#[cfg(test)]
mod tests {
    use super::is_internal;

    #[test]
    fn hosts_and_schemes() {
        let hosts = vec![
            "example.com".to_string(),
            "*.example.com".to_string(),
            "localpack.localhost".to_string(),
        ];
        assert!(is_internal(&hosts, "https", "example.com"));
        assert!(is_internal(&hosts, "https", "WWW.Example.com"));
        assert!(is_internal(&hosts, "http", "localpack.localhost"));
        assert!(is_internal(&hosts, "localpack", "localhost"));
        assert!(!is_internal(&hosts, "https", "example.com.evil.org"));
        assert!(!is_internal(&hosts, "https", "notexample.com"));
        assert!(!is_internal(&hosts, "mailto", ""));
    }

    #[test]
    fn ipv6_hosts_in_the_form_url_host_str_gives() {
        // localpack writes an IPv6 site's host in brackets (project/app_settings.py), as host_str() returns it.
        let hosts = vec!["[::1]".to_string(), "localpack.localhost".to_string()];
        let url = tauri::Url::parse("http://[0:0::1]:8080/app").unwrap();
        assert_eq!(url.host_str(), Some("[::1]"));
        assert!(is_internal(&hosts, url.scheme(), url.host_str().unwrap_or("")));
        assert!(!is_internal(&hosts, "http", "::1"));
        assert!(!is_internal(&hosts, "http", "[::2]"));
    }
}
