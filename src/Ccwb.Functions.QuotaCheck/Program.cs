using Amazon.DynamoDBv2;
using Ccwb.Functions.QuotaCheck;
using Ccwb.Lambda.Runtime;
using Ccwb.Quota;

// The Lambda custom runtime starts this as "bootstrap"; AWS_LAMBDA_RUNTIME_API names the Runtime API, and the
// function's role credentials, region and (in tests) AWS_ENDPOINT_URL_DYNAMODB come from the environment.
return await LambdaRuntime.RunAsync(
    () =>
    {
        var settings = QuotaCheckSettings.FromEnvironment(Environment.GetEnvironmentVariable);
        var store = new QuotaStore(new AmazonDynamoDBClient(), settings.PoliciesTable, settings.QuotaTable);
        return new QuotaCheckFunction(store, settings, () => DateTimeOffset.UtcNow);
    },
    (function, invocation, cancel) => function.HandleAsync(invocation, cancel));
