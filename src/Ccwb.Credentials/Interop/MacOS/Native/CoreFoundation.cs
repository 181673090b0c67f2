using System.Runtime.InteropServices;

namespace Ccwb.Credentials.Interop.MacOS.Native;

/// <summary>The CoreFoundation calls needed to build keychain queries and read their results.</summary>
internal static partial class CoreFoundation
{
    private const string Library = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";
    private static readonly Lazy<IntPtr> Handle = new(() => NativeLibrary.Load(Library));

    [LibraryImport(Library)]
    public static partial void CFRelease(IntPtr cf);

    [LibraryImport(Library)]
    public static partial IntPtr CFDictionaryCreateMutable(IntPtr allocator, nint capacity, IntPtr keyCallBacks, IntPtr valueCallBacks);

    [LibraryImport(Library)]
    public static partial void CFDictionarySetValue(IntPtr dictionary, IntPtr key, IntPtr value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
    public static partial IntPtr CFStringCreateWithCharacters(IntPtr allocator, string chars, nint length);

    [LibraryImport(Library)]
    public static partial nint CFStringGetLength(IntPtr str);

    [LibraryImport(Library)]
    public static unsafe partial void CFStringGetCharacters(IntPtr str, CFRange range, char* buffer);

    [LibraryImport(Library)]
    public static partial IntPtr CFDataCreate(IntPtr allocator, [In] byte[] bytes, nint length);

    [LibraryImport(Library)]
    public static partial nint CFDataGetLength(IntPtr data);

    [LibraryImport(Library)]
    public static partial IntPtr CFDataGetBytePtr(IntPtr data);

    [StructLayout(LayoutKind.Sequential)]
    public struct CFRange(nint location, nint length)
    {
        public nint Location = location;
        public nint Length = length;
    }

    /// <summary>The address of an exported data symbol (callback tables are passed by address).</summary>
    public static IntPtr SymbolAddress(string name) => NativeLibrary.GetExport(Handle.Value, name);

    /// <summary>The value of an exported constant such as kCFBooleanTrue.</summary>
    public static IntPtr Constant(string name) => Marshal.ReadIntPtr(SymbolAddress(name));

    public static string ToManagedString(IntPtr cfString)
    {
        var length = CFStringGetLength(cfString);
        var buffer = new char[length];
        unsafe
        {
            fixed (char* chars = buffer) CFStringGetCharacters(cfString, new CFRange(0, length), chars);
        }
        return new string(buffer);
    }
}
