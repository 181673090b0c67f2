[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.CloudFormation.Tests")]
