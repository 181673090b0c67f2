namespace Ccwb.Profiles;

/// <summary>The Cowork MDM outputs <c>ccwb cowork generate --format</c> can select.</summary>
[Flags]
public enum CoworkFormats
{
    Json = 1,
    Mobileconfig = 2,
    Reg = 4,
    Admx = 8,
    Ps1 = 16,
    All = Json | Mobileconfig | Reg | Admx | Ps1,
}
