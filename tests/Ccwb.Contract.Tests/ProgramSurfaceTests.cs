using Ccwb.Contract.CommandLine;
using Ccwb.Contract.Install;

namespace Ccwb.Contract.Tests;

public class ProgramSurfaceTests
{
    private static readonly ProgramSurface Helper = ShippedPrograms.CredentialProcess;

    [Theory]
    [InlineData("--profile", "x")]
    [InlineData("-profile", "x")]
    [InlineData("--profile=x")]
    [InlineData("-profile=x")]
    public void Go_flag_spellings_of_a_value_flag_are_the_same(params string[] args)
    {
        var parsed = Helper.Parse(args);
        Assert.Null(parsed.Error);
        Assert.Equal("x", parsed.Value("profile"));
    }

    [Fact]
    public void Short_and_long_profile_flags_are_told_apart_as_in_upstream()
    {
        var parsed = Helper.Parse(["--profile", "long", "-p", "short"]);
        Assert.Equal("long", parsed.Value("profile"));
        Assert.Equal("short", parsed.Value("p"));
    }

    [Theory]
    [InlineData("--check-expiration=false", false)]
    [InlineData("--check-expiration=T", true)]
    [InlineData("--check-expiration", true)]
    public void Switches_take_Go_boolean_values(string arg, bool on)
    {
        Assert.Equal(on, Helper.Parse([arg]).Has("check-expiration"));
    }

    [Theory]
    [InlineData(new[] { "--nope" }, "flag provided but not defined: -nope")]
    [InlineData(new[] { "--profile" }, "flag needs an argument: -profile")]
    [InlineData(new[] { "--version=maybe" }, "invalid boolean value \"maybe\" for -version")]
    public void Bad_arguments_are_refused_with_Go_s_wording(string[] args, string error)
    {
        Assert.Equal(error, Helper.Parse(args).Error);
    }

    [Fact]
    public void Parsing_stops_at_the_first_argument_that_is_not_a_flag()
    {
        var parsed = Helper.Parse(["--profile", "a", "rest", "--nope"]);
        Assert.Null(parsed.Error);
        Assert.Equal(["rest", "--nope"], parsed.Positionals);
    }

    [Fact]
    public void Unavailable_flags_parse_but_are_reported_so_the_program_can_refuse_them()
    {
        var unavailable = Helper.Flags.FirstOrDefault(f => !f.Available);
        if (unavailable is null) return;
        var parsed = Helper.Parse([$"--{unavailable.Name}" + (unavailable.Kind == FlagKind.Value ? "=x" : "")]);
        Assert.Null(parsed.Error);
        Assert.Equal([unavailable], parsed.UnavailableFlags);
        Assert.DoesNotContain("--" + unavailable.Name + " ", Helper.Usage());
    }

    [Fact]
    public void A_program_with_subcommands_needs_one_and_parses_its_flags()
    {
        var setup = ShippedPrograms.UserSetup;
        Assert.Equal("a command is required: install or managed-settings or uninstall", setup.Parse([]).Error);
        Assert.StartsWith("unknown command \"remove\"", setup.Parse(["remove"]).Error, StringComparison.Ordinal);

        var parsed = setup.Parse(["install", "--install-dir", "C:\\x", "--profile", "a=us-east-1", "--profile=b=eu-west-1"]);
        Assert.Null(parsed.Error);
        Assert.Equal("install", parsed.Subcommand);
        Assert.Equal(["a=us-east-1", "b=eu-west-1"], parsed.Values("profile"));
        Assert.Equal("flag provided but not defined: -install-dir", setup.Parse(["uninstall", "--install-dir", "x"]).Error);
    }

    [Fact]
    public void Every_program_name_is_unique_and_every_flag_name_is_unique_within_its_command()
    {
        Assert.Equal(ShippedPrograms.All.Count, ShippedPrograms.All.Select(p => p.Name).Distinct().Count());
        foreach (var program in ShippedPrograms.All)
            foreach (var flags in program.Subcommands.Select(s => s.Flags).Append(program.Flags))
            {
                var names = flags.Select(f => f.Name).Concat(flags.Where(f => f.ShortName is not null).Select(f => f.ShortName!)).ToList();
                Assert.Equal(names.Count, names.Distinct().Count());
            }
    }

    [Fact]
    public void The_full_programs_ship_in_every_package_folder_but_are_no_programs_generated_files_run()
    {
        Assert.DoesNotContain(ShippedPrograms.All, p => ShippedPrograms.NotRunByGeneratedFiles.Contains(p.Name));
        Assert.DoesNotContain(InstallPlaceholders.Programs, p => ShippedPrograms.NotRunByGeneratedFiles.Contains(p.Value));
        Assert.Contains(ShippedPrograms.CredentialProcessFull, PackageFolder.Programs);
        Assert.Contains(ShippedPrograms.OtelHelperFull, PackageFolder.Programs);
        foreach (var program in PackageFolder.Programs)
            Assert.True(ShippedPrograms.Find(program) is not null || ShippedPrograms.NotRunByGeneratedFiles.Contains(program), program);
        Assert.Equal("credential-process-full-windows.exe", PackageFolder.BinaryName(ShippedPrograms.CredentialProcessFull, "win-x64"));
        Assert.Equal("otel-helper-full-linux-x64", PackageFolder.BinaryName(ShippedPrograms.OtelHelperFull, "linux-x64"));
        Assert.Equal("credential-process", ShippedPrograms.FrontOf(ShippedPrograms.CredentialProcessFull));
        Assert.Equal("otel-helper", ShippedPrograms.FrontOf(ShippedPrograms.OtelHelperFull));
    }

    /// <summary>The credential-process front answers only calls with no flag but the profile; it learns which from here.</summary>
    [Theory]
    [InlineData(new string[0], new string[0])]
    [InlineData(new[] { "-p", "x", "--profile=y" }, new[] { "profile", "profile" })]
    [InlineData(new[] { "--login=false", "-v" }, new[] { "login", "version" })]
    public void Given_flags_are_listed_in_order_whatever_their_value(string[] args, string[] expected) =>
        Assert.Equal(expected, Helper.Parse(args).GivenFlags.Select(f => f.Name));
}
