using Ccwb.Contract.Config;
namespace Ccwb.Profiles.Validation;

/// <summary>Name, stack base name, stack names, credential storage, schema version.</summary>
internal static class IdentityRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        if (r.Require("name", p.Name) && !ProfileNames.IsValid(p.Name))
            r.Error("name", $"Invalid profile name '{p.Name}'. Must be alphanumeric with hyphens only, max 64 characters");

        // The base of every stack, CodeBuild project and bucket name.
        if (r.Require("identity_pool_name", p.IdentityPoolName))
        {
            if (!Patterns.StackBaseName().IsMatch(p.IdentityPoolName))
                r.Error("identity_pool_name", "Invalid name (alphanumeric, underscore, hyphen only)");
            if (p.IdentityPoolName.Length > 20)
                r.Error("identity_pool_name", "Name too long (max 20 characters): stack and resource names are built from it");
        }

        foreach (var (key, stackName) in p.StackNames.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!Patterns.StackName().IsMatch(stackName))
                r.Error($"stack_names.{key}",
                    $"Invalid stack name '{stackName}': must start with a letter, use letters, digits and hyphens only, max 128 characters");
        }

        if (r.Require("credential_storage", p.CredentialStorage) && p.CredentialStorage is not ("keyring" or "session"))
            r.Error("credential_storage", $"Invalid credential_storage: {p.CredentialStorage}. Must be 'keyring' or 'session'");

        if (p.SchemaVersion is not ("1.0" or "2.0"))
            r.Warning("schema_version", $"Unknown schema_version: {p.SchemaVersion} (expected 1.0 or 2.0)");

        r.OneOf("settings_target", p.SettingsTarget, "user", "managed");
    }
}
