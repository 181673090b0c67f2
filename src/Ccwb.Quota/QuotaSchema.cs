namespace Ccwb.Quota;

/// <summary>
/// Where quota data lives: the two tables' keys, indexes, TTL attribute and item key shapes, and the quota stack's
/// resource and output names. deployment/cloudformation/quota-service.yaml declares the same; a test compares them.
/// </summary>
public static class QuotaSchema
{
    public const string TemplateFile = "quota-service.yaml";

    /// <summary>
    /// A user as keys hold it: trimmed and lower-case, whoever writes (the CLI, the usage monitor from telemetry, the
    /// check from the id token), because identity providers differ in the case of the e-mail they send.
    /// </summary>
    public static string UserKey(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Key attributes of both tables (string partition and sort keys).</summary>
    public const string PartitionKey = "pk";
    public const string SortKey = "sk";

    /// <summary>The policies table: one item per policy, <c>pk=POLICY#{type}#{identifier}</c>, <c>sk=CURRENT</c>.</summary>
    public static class Policies
    {
        public const string ResourceName = "QuotaPoliciesTable";
        public const string TableNameOutput = "PoliciesTableName";
        public const string TableArnOutput = "PoliciesTableArn";
        public const string CurrentSortKey = "CURRENT";

        /// <summary>GSI listing the policies of one type: partition <c>policy_type</c>, sort <c>identifier</c>.</summary>
        public const string TypeIndex = "PolicyTypeIndex";
        public const string TypeAttribute = "policy_type";
        public const string IdentifierAttribute = "identifier";

        public static string PartitionKeyFor(PolicyType type, string identifier) =>
            $"POLICY#{PolicyTypes.Name(type)}#{(type == PolicyType.User ? UserKey(identifier) : identifier)}";
    }

    /// <summary>
    /// The usage table: per user (<c>pk=USER#{email}</c>) one item per month (<c>sk=MONTH#yyyy-MM</c>), per day
    /// (<c>sk=DAY#yyyy-MM-dd</c>) and the current unblock (<c>sk=UNBLOCK#CURRENT</c>). Items carry an expiry in
    /// <see cref="TtlAttribute"/> (epoch seconds) that DynamoDB's TTL deletes, eventually.
    /// </summary>
    public static class Usage
    {
        public const string ResourceName = "UserQuotaMetricsTable";
        public const string TableNameOutput = "QuotaTableName";
        public const string TableArnOutput = "QuotaTableArn";

        /// <summary>GSI over the table's own keys swapped (partition <c>sk</c>, sort <c>pk</c>): everyone's usage for one month or day.</summary>
        public const string PeriodIndex = "PeriodIndex";

        public const string TtlAttribute = "ttl";
        public const string UnblockSortKey = "UNBLOCK#CURRENT";

        /// <summary>How long usage items are kept after their period ends: a year of months, three months of days.</summary>
        public static readonly TimeSpan MonthRetention = TimeSpan.FromDays(400);
        public static readonly TimeSpan DayRetention = TimeSpan.FromDays(90);

        public static string PartitionKeyFor(string user) => $"USER#{UserKey(user)}";
    }

    /// <summary>The quota stack's SNS topic for 80 / 90 / 100 % alerts.</summary>
    public const string AlertTopicResourceName = "QuotaAlertTopic";
    public const string AlertTopicOutput = "QuotaAlertTopicArn";
}
