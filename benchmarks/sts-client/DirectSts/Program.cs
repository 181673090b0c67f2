using Ccwb.Credentials.Federation;
using Ccwb.Http;

// Usage: sts-direct <endpoint-url> <token>. One AssumeRoleWithWebIdentity call, then the access key id on stdout.
var http = new HttpTransport(ProxySelector.FromProcessEnvironment(), "sts-direct");
var sts = new StsClient(http, new Uri(args[0]));
var credentials = sts.AssumeRoleWithWebIdentity("arn:aws:iam::123456789012:role/bench", "bench", args[1], 3600);
Console.WriteLine(credentials.AccessKeyId);
return 0;
