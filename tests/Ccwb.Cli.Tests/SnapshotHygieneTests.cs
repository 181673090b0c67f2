using Ccwb.Testing;

namespace Ccwb.Cli.Tests;

public class SnapshotHygieneTests
{
    [Fact]
    public void Every_verified_file_belongs_to_a_test()
    {
        var orphans = Snapshot.FindOrphans(typeof(SnapshotHygieneTests).Assembly, Repo.TestProjectDirectory("Ccwb.Cli.Tests"));
        Assert.True(orphans.Count == 0, "Verified files no test uses:\n" + string.Join('\n', orphans));
    }
}
