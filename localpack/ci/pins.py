"""What a generated CI file pins: GitHub actions by full commit SHA (the tag in a comment), and the runners
each OS and architecture builds on.

Each SHA is the commit its release tag points to, read from the action's own repository; change a SHA and its
tag together. Only GitHub's own actions are used: Rust comes from rustup (on every hosted runner) and the
release is made with `gh` and the job's token, so no third-party action sees the repository.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    repo: str
    sha: str
    tag: str

    @property
    def uses(self) -> str:
        return f"{self.repo}@{self.sha}"


ACTIONS = {
    "checkout": Action("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "setup_python": Action("actions/setup-python", "5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "cache": Action("actions/cache", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "upload_artifact": Action("actions/upload-artifact", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "download_artifact": Action("actions/download-artifact", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
}

PYTHON = "3.13"  # the Python localpack runs on in CI (it needs 3.10 or newer)


@dataclass(frozen=True)
class Runner:
    os: str  # linux, macos, windows
    arch: str  # x64, arm64
    label: str  # GitHub's runner label, or GitLab's runner tag
    note: str  # why this one, written next to it in the file

    @property
    def name(self) -> str:
        return f"{self.os}-{self.arch}"


# GitHub-hosted runners. Linux builds on the oldest Ubuntu GitHub hosts: a binary needs at least the glibc it was
# linked against, so 22.04's 2.35 keeps the .deb/.rpm/AppImage running on Debian 12 and Ubuntu 22.04 as well.
GITHUB_RUNNERS = (
    Runner("linux", "x64", "ubuntu-22.04", "glibc 2.35: the installers also run on older distributions"),
    Runner("macos", "arm64", "macos-latest", "Apple silicon"),
    Runner("macos", "x64", "macos-15-intel", "Intel Macs (GitHub's last x64 macOS image)"),
    Runner("windows", "x64", "windows-latest", "MSVC and WebView2 are preinstalled"),
)

# GitLab.com's hosted runners (on a self-managed GitLab, put your own runners' tags here). macOS runners need a
# Premium or Ultimate plan and have no x64 machines; Windows runners are in beta.
GITLAB_RUNNERS = (
    Runner("linux", "x64", "saas-linux-small-amd64", "a Docker runner: the job's image brings Rust"),
    Runner("macos", "arm64", "saas-macos-medium-m1", "Premium or Ultimate plan"),
    Runner("windows", "x64", "saas-windows-medium-amd64", "beta; PowerShell"),
)
GITLAB_LINUX_IMAGE = "rust:1-bookworm"  # rustup's stable Rust on Debian 12 (glibc 2.36)
GITLAB_MACOS_IMAGE = "macos-15-xcode-16"
GITLAB_RELEASE_IMAGE = "python:3.13-bookworm"  # curl and Python, to upload the files and create the release
