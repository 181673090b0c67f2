using System.Text;
using Amazon.DynamoDBv2;
using Ccwb.Functions.UsageMonitor;
using Ccwb.Lambda.Runtime;
using Ccwb.Quota;

// Started as "bootstrap" by the Lambda custom runtime; EventBridge invokes it every 15 minutes (the event is not read).
return await LambdaRuntime.RunAsync(
    () =>
    {
        var env = (Func<string, string?>)Environment.GetEnvironmentVariable;
        var aws = AwsApi.FromEnvironment(env);
        var dynamo = new AmazonDynamoDBClient();
        var store = new QuotaStore(dynamo, env("POLICIES_TABLE") ?? "QuotaPolicies", env("QUOTA_TABLE") ?? "UserQuotaMetrics");
        var promql = new PromQlUsage(aws, AwsApi.Endpoint(env, "CLOUDWATCH", "monitoring", aws.Region));
        var topic = env("SNS_TOPIC_ARN") is { Length: > 0 } arn ? arn : throw new InvalidOperationException("SNS_TOPIC_ARN is not set");
        var sns = new SnsAlertPublisher(aws, AwsApi.Endpoint(env, "SNS", "sns", aws.Region), topic);
        var minutes = int.TryParse(env("AGGREGATION_WINDOW_MINUTES"), out var m) && m > 0 ? m : 15;
        return new UsageMonitorFunction(promql.Fetch, store, dynamo, sns, null, TimeSpan.FromMinutes(minutes));
    },
    async (function, invocation, cancel) =>
    {
        var run = await function.RunAsync(DateTimeOffset.UtcNow, cancel);
        return Encoding.UTF8.GetBytes($"{{\"users_with_usage\":{run.UsersWithUsage},\"users_checked\":{run.UsersChecked},\"alerts_sent\":{run.AlertsSent.Count}}}");
    });
