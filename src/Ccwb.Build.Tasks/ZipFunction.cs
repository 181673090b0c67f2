using Ccwb.CloudFormation.Functions;

namespace Ccwb.Build.Tasks;

/// <summary>The Functions target's last step: a published function's <c>bootstrap</c> into its deterministic zip.</summary>
public sealed class ZipFunction : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public string Bootstrap { get; set; } = "";

    [Microsoft.Build.Framework.Required] public string ZipFile { get; set; } = "";

    public override bool Execute()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ZipFile))!);
        FunctionZip.Write(Bootstrap, ZipFile);
        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"{ZipFile}: {new FileInfo(ZipFile).Length} bytes");
        return true;
    }
}
