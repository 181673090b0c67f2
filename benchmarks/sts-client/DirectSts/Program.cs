using Ccwb.Credentials.Federation;

// Usage: sts-direct <endpoint-url> <token>. One AssumeRoleWithWebIdentity call, then the access key id on stdout.
using var http = new HttpClient();
var sts = new StsClient(http, new Uri(args[0]));
var credentials = await sts.AssumeRoleWithWebIdentityAsync("arn:aws:iam::123456789012:role/bench", "bench", args[1], 3600);
Console.WriteLine(credentials.AccessKeyId);
return 0;
