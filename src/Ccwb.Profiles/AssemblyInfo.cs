[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.Profiles.Tests")]
