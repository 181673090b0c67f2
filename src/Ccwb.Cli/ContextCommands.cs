using System.CommandLine;
using System.CommandLine.Help;
using Ccwb.Profiles;

namespace Ccwb.Cli;

/// <summary><c>ccwb context …</c>: list the stored profiles, show one, and choose the active one.</summary>
internal static class ContextCommands
{
    public static Command Create()
    {
        var context = new Command("context", "List, show and switch the stored deployment profiles (~/.ccwb).");
        context.Subcommands.Add(List());
        context.Subcommands.Add(Current());
        context.Subcommands.Add(Use());
        context.Subcommands.Add(Show());
        // Like upstream, the bare group prints its subcommands rather than failing.
        context.SetAction(parse => new HelpAction().Invoke(parse));
        return context;
    }

    private static Command List()
    {
        var list = new Command("list", "List the stored profiles; * marks the active one.");
        list.SetAction(_ =>
        {
            var output = Console.Out;
            var store = StoreAccess.Open(output);
            var names = store.ListProfiles();
            if (names.Count == 0)
            {
                output.WriteLine($"No profiles found in {store.ProfilesDirectory}.");
                output.WriteLine("Copy a profile JSON file there (see profiles/examples/) and run 'ccwb context use <name>'.");
                return 0;
            }
            var active = store.ActiveProfile;
            var rows = names.Select(name => (Name: name, Profile: store.Load(name).Profile)).ToList();
            var nameWidth = names.Max(n => n.Length);
            var authWidth = rows.Max(r => r.Profile is null ? 0 : Describe(r.Profile).Length);
            foreach (var (name, profile) in rows)
            {
                var summary = profile is null
                    ? $"(unreadable; run 'ccwb profile validate --profile {name}')"
                    : $"{Describe(profile).PadRight(authWidth)}  {profile.AwsRegion}";
                output.WriteLine($"{(name == active ? "*" : " ")} {name.PadRight(nameWidth)}  {summary}");
            }
            return 0;
        });
        return list;
    }

    private static Command Current()
    {
        var current = new Command("current", "Print the active profile's name.");
        current.SetAction(_ =>
        {
            var store = StoreAccess.Open(Console.Out);
            Console.Out.WriteLine(store.ActiveProfile ?? "No active profile set.");
            return 0;
        });
        return current;
    }

    private static Command Use()
    {
        var name = new Argument<string>("profile") { Description = "Name of the stored profile to make active" };
        var use = new Command("use", "Make a stored profile the active one.") { name };
        use.SetAction(parse =>
        {
            var output = Console.Out;
            var store = StoreAccess.Open(output);
            var profile = parse.GetValue(name)!;
            var result = store.Use(profile);
            if (result.Succeeded)
            {
                output.WriteLine($"Switched to profile '{profile}'.");
                return 0;
            }
            var available = store.ListProfiles();
            return Findings.Fail(Console.Error, "profile", $"'{profile}' not found; " +
                (available.Count == 0 ? $"no profiles are stored in {store.ProfilesDirectory}" : "available profiles: " + string.Join(", ", available)));
        });
        return use;
    }

    private static Command Show()
    {
        var name = new Argument<string?>("profile") { Description = "Profile to show; default: the active profile", Arity = ArgumentArity.ZeroOrOne };
        var show = new Command("show", "Show a profile's settings by section (secrets are masked).") { name };
        show.SetAction(parse =>
        {
            var output = Console.Out;
            var store = StoreAccess.Open(output);
            var requested = parse.GetValue(name);
            var result = requested is null ? store.LoadActive() : store.Load(requested);
            if (result.Profile is null)
            {
                Findings.Print(Console.Error, result.Messages);
                return 1;
            }
            Findings.Print(Console.Error, result.Messages);
            var active = result.Profile.Name == store.ActiveProfile ? " (active)" : "";
            output.WriteLine($"Profile: {result.Profile.Name}{active}");
            output.Write(ProfileSummary.Render(result.Profile));
            return 0;
        });
        return show;
    }

    private static string Describe(DeploymentProfile profile) => profile.EffectiveAuthType switch
    {
        "oidc" => $"oidc/{profile.ProviderType ?? "auto"} ({profile.FederationType})",
        var other => other,
    };

}
