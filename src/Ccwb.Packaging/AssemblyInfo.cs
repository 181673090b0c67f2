[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.Packaging.Tests")]
