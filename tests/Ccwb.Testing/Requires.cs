namespace Ccwb.Testing;

/// <summary>
/// The <c>Requires</c> trait of a test class bound to an operating system. It never skips anything: every test runs
/// on Linux (CI here). The release workflow's Windows and macOS test job leaves these classes out with
/// <c>--filter-not-trait "Requires=…"</c>, so that what runs there is what can pass there.
/// </summary>
public static class Requires
{
    public const string Trait = "Requires";

    /// <summary>
    /// Programs only a Linux host has: Debian's AWS CLI at /usr/bin/aws, gnome-keyring on a private D-Bus, wine,
    /// Debian's openssl with its legacy protocols, headless Chromium.
    /// </summary>
    public const string Linux = "Linux";

    /// <summary>
    /// A Unix user's world: shell-script browsers and program shims (#!/bin/sh), and a process environment of HOME and
    /// PATH only (a Windows program also needs SystemRoot, TEMP and the like). Runs on macOS, not on Windows.
    /// </summary>
    public const string Unix = "Unix";
}
