using System.Runtime.InteropServices;

namespace Ccwb.Credentials.Interop.Windows.Native;

/// <summary>Credential Manager (wincred.h), the calls and layout the generic-credential store needs.</summary>
internal static partial class Advapi32
{
    public const uint CredTypeGeneric = 1;
    public const uint CredPersistLocalMachine = 2;
    /// <summary>CRED_MAX_CREDENTIAL_BLOB_SIZE: 5 × 512 bytes.</summary>
    public const int MaxCredentialBlobSize = 5 * 512;
    public const int ErrorNotFound = 1168;

    /// <summary>CREDENTIALW; FILETIME kept as two DWORDs so the layout matches on 32- and 64-bit.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CredentialW
    {
        public uint Flags;
        public uint Type;
        public IntPtr TargetName;
        public IntPtr Comment;
        public uint LastWrittenLow;
        public uint LastWrittenHigh;
        public uint CredentialBlobSize;
        public IntPtr CredentialBlob;
        public uint Persist;
        public uint AttributeCount;
        public IntPtr Attributes;
        public IntPtr TargetAlias;
        public IntPtr UserName;
    }

    [LibraryImport("advapi32.dll", EntryPoint = "CredReadW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredRead(string targetName, uint type, uint flags, out IntPtr credential);

    [LibraryImport("advapi32.dll", EntryPoint = "CredWriteW", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredWrite(in CredentialW credential, uint flags);

    [LibraryImport("advapi32.dll", EntryPoint = "CredDeleteW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredDelete(string targetName, uint type, uint flags);

    [LibraryImport("advapi32.dll", EntryPoint = "CredFree")]
    public static partial void CredFree(IntPtr buffer);
}
