using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Ccwb.Profiles;
using Ccwb.Profiles.Validation;
using Ccwb.Rendering;
using Ccwb.Rendering.Cowork;

namespace Ccwb.Cli;

/// <summary><c>ccwb cowork generate</c>: Claude Desktop (Cowork third-party mode) MDM files for one profile.</summary>
internal static class CoworkCommands
{
    private static readonly Dictionary<string, CoworkFormats> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["all"] = CoworkFormats.All,
        ["json"] = CoworkFormats.Json,
        ["mobileconfig"] = CoworkFormats.Mobileconfig,
        ["reg"] = CoworkFormats.Reg,
        ["admx"] = CoworkFormats.Admx,
        ["ps1"] = CoworkFormats.Ps1,
    };

    public static Command Create()
    {
        var profile = new ProfileOptions();
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Output folder",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("dist", "cowork-3p")),
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "all, json, mobileconfig, reg, admx or ps1",
            DefaultValueFactory = _ => "all",
        };
        format.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (!Formats.ContainsKey(value))
                r.AddError($"Invalid format '{value}'. Must be one of: {string.Join(", ", Formats.Keys)}");
        });
        var models = new Option<string>("--models", "-m")
        {
            Description = "Comma-separated model aliases or inference profile ids for the model picker",
            DefaultValueFactory = _ => string.Join(',', CoworkOptions.DefaultModels),
        };
        var signingCertificate = new Option<FileInfo?>("--signing-certificate")
        {
            Description = "PKCS#12 file (certificate, private key, intermediates) to sign the .mobileconfig with",
        };
        var signingPasswordVariable = new Option<string?>("--signing-password-env")
        {
            Description = "Environment variable holding the PKCS#12 password (never passed on the command line)",
        };

        var generate = new Command("generate", "Generate Claude Desktop MDM files: JSON, .mobileconfig, .reg, ADMX/ADML, PowerShell.")
        {
            output, format, models, signingCertificate, signingPasswordVariable,
        };
        profile.AddTo(generate);
        generate.SetAction(parse =>
        {
            // Template parsing is mostly JIT work; on a second core it overlaps loading and validating the profile.
            var warmUp = Task.Run(Ccwb.Rendering.Templates.TemplateRenderer.Preload);
            var loaded = profile.Load(parse, Console.Out);
            if (loaded.Profile is null)
            {
                Findings.Print(Console.Error, loaded.Messages);
                return 1;
            }
            // Only what the requested formats need: a JSON-only export does not ask for the .mobileconfig's organisation.
            var selected = Formats[parse.GetValue(format)!];
            if (Findings.Print(Console.Error, ProfileValidator.Validate(loaded.Profile, ValidationPurpose.CoworkFiles, selected)))
            {
                Console.Error.WriteLine("Nothing was written.");
                return 1;
            }
            var modelList = parse.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var options = RenderOptions.ForCoworkOnly(new CoworkOptions(modelList, IncludeBetaKeys: false));
            try
            {
                if (parse.GetValue(signingCertificate) is { } pfx)
                {
                    var password = parse.GetValue(signingPasswordVariable) is { } name ? Environment.GetEnvironmentVariable(name) : null;
                    var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(pfx.FullName, password,
                        X509KeyStorageFlags.EphemeralKeySet);
                    var signer = all.FirstOrDefault(c => c.HasPrivateKey);
                    if (signer is null)
                    {
                        return Findings.Fail(Console.Error, "--signing-certificate", $"{pfx.Name} holds no certificate with a private key");
                    }
                    var chain = new X509Certificate2Collection();
                    foreach (var c in all) if (!c.HasPrivateKey) chain.Add(c);
                    options = options with { Signing = new MobileconfigSigning(signer, chain) };
                }
                warmUp.Wait();
                var files = CoworkFiles.Render(loaded.Profile, selected, options, includeHelperWrappers: false);
                var directory = parse.GetValue(output)!.FullName;
                foreach (var path in OutputFolder.Write(files, directory))
                    Console.WriteLine($"  {Path.Combine(directory, path)}");
                return 0;
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                return Findings.Fail(Console.Error, "--signing-certificate", $"cannot use the signing certificate: {e.Message}");
            }
        });

        return new Command("cowork", "Claude Desktop (Cowork third-party mode) configuration.") { generate };
    }
}
