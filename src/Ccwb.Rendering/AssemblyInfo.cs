[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.Rendering.Tests")]
