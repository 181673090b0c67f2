// The packaging tests drive Linux tools (dpkg, lintian, wine, qemu-user, osslsigncode, gpg).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
