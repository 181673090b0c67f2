namespace Ccwb.Rendering.Tests;

/// <summary>
/// Tests that run PowerShell in process and set <c>$env:USERPROFILE</c> and friends: those are the test process's own
/// environment variables, so two such tests at once would read each other's values. They take turns.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironment))]
public sealed class ProcessEnvironment;
