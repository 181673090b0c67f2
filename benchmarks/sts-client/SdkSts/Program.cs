using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

// Usage: sts-sdk <endpoint-url> <token>. One AssumeRoleWithWebIdentity call, then the access key id on stdout.
var config = new AmazonSecurityTokenServiceConfig { ServiceURL = args[0], AuthenticationRegion = "us-east-1" };
using var client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
var response = await client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
{
    RoleArn = "arn:aws:iam::123456789012:role/bench",
    RoleSessionName = "bench",
    WebIdentityToken = args[1],
    DurationSeconds = 3600,
});
Console.WriteLine(response.Credentials.AccessKeyId);
return 0;
