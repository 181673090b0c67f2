[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.Credentials.Tests")]
