[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.CloudFormation.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ccwb")]
