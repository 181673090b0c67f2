[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.Packaging.Tests")]
// The contract test expands the MSI custom actions with the arguments the MSI build passes.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.Rendering.Tests")]
