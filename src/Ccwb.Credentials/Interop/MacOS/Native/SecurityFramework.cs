using System.Runtime.InteropServices;

namespace Ccwb.Credentials.Interop.MacOS.Native;

/// <summary>Security.framework keychain item calls (SecItem*) and the constants their queries use.</summary>
internal static partial class SecurityFramework
{
    private const string Library = "/System/Library/Frameworks/Security.framework/Security";
    private static readonly Lazy<IntPtr> Handle = new(() => NativeLibrary.Load(Library));

    public const int ErrSecSuccess = 0;
    public const int ErrSecItemNotFound = -25300;
    public const int ErrSecDuplicateItem = -25299;

    [LibraryImport(Library)]
    public static partial int SecItemAdd(IntPtr attributes, IntPtr result);

    [LibraryImport(Library)]
    public static partial int SecItemCopyMatching(IntPtr query, out IntPtr result);

    [LibraryImport(Library)]
    public static partial int SecItemUpdate(IntPtr query, IntPtr attributesToUpdate);

    [LibraryImport(Library)]
    public static partial int SecItemDelete(IntPtr query);

    [LibraryImport(Library)]
    public static partial IntPtr SecCopyErrorMessageString(int status, IntPtr reserved);

    /// <summary>The value of an exported CFStringRef constant such as kSecClass.</summary>
    public static IntPtr Constant(string name) => Marshal.ReadIntPtr(NativeLibrary.GetExport(Handle.Value, name));
}
