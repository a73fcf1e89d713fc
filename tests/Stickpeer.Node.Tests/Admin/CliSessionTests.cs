// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Admin;

namespace Stickpeer.Node.Tests.Admin;

/// <summary>Expected outputs were captured from HAProxy 2.6.12 with the same tables (see CliTestNode).</summary>
public sealed class CliSessionTests
{
    private readonly CliTestNode _node = new();

    [Fact]
    public void ShowTable_NoName_HeadersInHaproxyOrder()
    {
        Assert.Equal(
            "# table: be, type: integer, size:10, used:0\n# table: mesh/ts, type: string, size:100, used:0\n# table: mesh/t1, type: ip, size:1024, used:0\n\n",
            _node.Run("show table"));
    }

    [Fact]
    public void DebugGc_AdminGetsHeapSize_OthersAreDenied()
    {
        Assert.Matches(
            "^heap [1-9][0-9]* bytes after a full compacting collection\n" +
            "gc: allocated [1-9][0-9]* bytes, collections gen0 [1-9][0-9]* gen1 [1-9][0-9]* gen2 [1-9][0-9]*, committed [1-9][0-9]* bytes\n\n\\z",
            _node.Run("debug gc"));
        Assert.Equal("Permission denied\n\n", _node.Run("debug gc", CliLevel.Operator));
    }

    [Fact]
    public void SetTable_ThenShow_PrintsHaproxyEntryLine()
    {
        Assert.Equal("\n", _node.Run("set table mesh/t1 key 10.0.0.1 data.gpc0 5 data.http_req_rate 3"));

        Assert.Equal(
            "# table: mesh/t1, type: ip, size:1024, used:1\n0x0: key=10.0.0.1 use=0 exp=30000 server_id=0 gpc0=5 http_req_rate(10000)=3\n\n",
            CliTestNode.MaskAddresses(_node.Run("show table mesh/t1")));
    }

    [Fact]
    public void SetTable_ArrayTypesAndLongStringKey_MatchHaproxy()
    {
        _node.Run("set table mesh/ts key abc data.gpt 1");
        _node.Run("set table mesh/ts key abcdefghijklmnopqrstuvwxyz0123456789XYZ data.gpt 3");

        var shown = CliTestNode.MaskAddresses(_node.Run("show table mesh/ts"));

        Assert.StartsWith("# table: mesh/ts, type: string, size:100, used:2\n", shown, StringComparison.Ordinal);
        Assert.Contains("0x0: key=abc use=0 exp=0 gpt0=1 gpt1=0 gpc0_rate(60000)=0 gpc1_rate(60000)=0\n", shown, StringComparison.Ordinal);
        Assert.Contains("0x0: key=abcdefghijklmnopqrstuvwxyz012345 use=0 exp=0 gpt0=3 gpt1=0 gpc0_rate(60000)=0 gpc1_rate(60000)=0\n", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowTable_KeyAndDataFilters_SelectEntries()
    {
        _node.Run("set table mesh/t1 key 1.1.1.1 data.gpc0 1 data.server_id -3");
        _node.Run("set table mesh/t1 key 2.2.2.2 data.gpc0 7");

        Assert.Equal(
            "# table: mesh/t1, type: ip, size:1024, used:2\n0x0: key=2.2.2.2 use=0 exp=30000 server_id=0 gpc0=7 http_req_rate(10000)=0\n\n",
            CliTestNode.MaskAddresses(_node.Run("show table mesh/t1 data.gpc0 gt 5")));
        Assert.Equal(
            "# table: mesh/t1, type: ip, size:1024, used:2\n0x0: key=1.1.1.1 use=0 exp=30000 server_id=-3 gpc0=1 http_req_rate(10000)=0\n\n",
            CliTestNode.MaskAddresses(_node.Run("show table mesh/t1 key 1.1.1.1")));
        Assert.Equal("\n", _node.Run("show table mesh/t1 key 9.9.9.9"));
        Assert.Equal(
            "# table: mesh/t1, type: ip, size:1024, used:2\n\n",
            _node.Run("show table mesh/t1 data.server_id lt -5 data.gpc0 ge 0"));
    }

    [Fact]
    public void ClearTable_KeyDataAndAll_RemoveEntries()
    {
        _node.Run("set table mesh/t1 key 1.1.1.1 data.gpc0 1");
        _node.Run("set table mesh/t1 key 2.2.2.2 data.gpc0 200");
        _node.Run("set table mesh/t1 key 3.3.3.3 data.gpc0 3");

        Assert.Equal("\n", _node.Run("clear table mesh/t1 key 1.1.1.1"));
        Assert.Equal("\n", _node.Run("clear table mesh/t1 data.gpc0 gt 100"));
        Assert.Equal("# table: mesh/t1, type: ip, size:1024, used:1\n", _node.Run("show table mesh/t1 key 3.3.3.3").Split('\n')[0] + "\n");
        Assert.Equal("\n", _node.Run("clear table mesh/t1"));
        Assert.Equal("# table: mesh/t1, type: ip, size:1024, used:0\n\n", _node.Run("show table mesh/t1"));
    }

    [Fact]
    public void Entries_Expire_WithTheTableClock()
    {
        _node.Run("set table mesh/t1 key 1.1.1.1 data.gpc0 1");
        _node.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains(" exp=20000 ", _node.Run("show table mesh/t1"), StringComparison.Ordinal);
        _node.Time.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal("# table: mesh/t1, type: ip, size:1024, used:0\n\n", _node.Run("show table mesh/t1"));
    }

    [Theory]
    [InlineData("show table nosuch", "No such table\n\n")]
    [InlineData("show table mesh/t1 key", "Key value expected\n\n")]
    [InlineData("show table mesh/t1 data.gpc0 eq", "Filter entry #1: Require a valid integer value to compare against\n\n")]
    [InlineData("show table mesh/t1 data.gpc0 eq abc", "Filter entry #1: Require a valid integer value to compare against\n\n")]
    [InlineData("show table mesh/t1 data.gpc0", "Filter entry #1: Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n\n")]
    [InlineData("show table mesh/t1 data.gpc0 xx 5", "Filter entry #1: Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n\n")]
    [InlineData("show table mesh/t1 data.conn_cnt eq 5", "Filter entry #1: Data type not stored in this table\n\n")]
    [InlineData("show table mesh/t1 data.zzz eq 5", "Filter entry #1: Unknown data type\n\n")]
    [InlineData("show table mesh/t1 data.gpc0 ge 0 key 1.1.1.1", "Filter entry #2: Unknown data type\n\n")]
    [InlineData("show table mesh/t1 foo", "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n\n")]
    [InlineData("set table nosuch key 1", "No such table\n\n")]
    [InlineData("set table mesh/t1", "\n")]
    [InlineData("set table mesh/t1 key", "Key value expected\n\n")]
    [InlineData("set table mesh/t1 foo", "Required arguments: <table> key <key> [data.<store_data_type> <value>]*\n\n")]
    [InlineData("set table mesh/t1 data.gpc0 1", "content-based lookup is only supported with the \"show\" and \"clear\" actions\n\n")]
    [InlineData("set table mesh/t1 key 1.2.3.4 data.gpc0", "Require a valid integer value to store\n\n")]
    [InlineData("set table mesh/t1 key 1.2.3.4 data.gpc0 x", "Require a valid integer value to store\n\n")]
    [InlineData("set table mesh/t1 key 1.2.3.4 data.zz 1", "Unknown data type\n\n")]
    [InlineData("set table mesh/t1 key 1.2.3.4 data.conn_cnt 1", "Data type not stored in this table\n\n")]
    [InlineData("set table mesh/t1 key 1.2.3.4 foo 1", "\"data.<type>\" followed by a value expected\n\n")]
    [InlineData("set table be key 42 data.server_key srv1", "Require a valid integer value to store\n\n")]
    [InlineData("set table be key abc", "Invalid key\n\n")]
    [InlineData("set table be key -5", "Invalid key\n\n")]
    [InlineData("set table be key 4294967296", "Invalid key\n\n")]
    [InlineData("clear table nosuch", "No such table\n\n")]
    [InlineData("clear table mesh/t1 key", "Key value expected\n\n")]
    [InlineData("clear table mesh/t1 key 9.9.9.9", "\n")]
    [InlineData("clear table mesh/t1 data.gpc0", "Filter entry #1: Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n\n")]
    [InlineData("clear table mesh/t1 foo", "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key>\n\n")]
    [InlineData("show peers nosuch", "No such peers\n\n")]
    [InlineData("user; set table mesh/t1 key 1.1.1.2", "\nPermission denied\n\n")]
    [InlineData("operator; set table mesh/t1 key 1.1.1.2", "\n\n")]
    [InlineData("quit", "")]
    public void Command_AsHaproxy26_SameOutput(string line, string expected)
    {
        Assert.Equal(expected, _node.Run(line));
    }

    [Fact]
    public void SeveralCommands_SeparatedBySemicolons_EachEndsWithEmptyLine()
    {
        Assert.Equal(
            "# table: mesh/t1, type: ip, size:1024, used:0\n\n# table: be, type: integer, size:10, used:0\n\n",
            _node.Run("show table mesh/t1; show table be"));
    }

    [Fact]
    public void Prompt_KeepsConnectionOpen_UntilQuit()
    {
        var session = new CliSession(_node.Context, CliLevel.Admin);

        Assert.Equal(new CliResponse("\n> ", false), session.Execute("prompt"));
        Assert.Equal(new CliResponse("\n> ", false), session.Execute("set table mesh/t1 key 1.1.1.1 data.gpc0 1"));
        var show = session.Execute("show table mesh/t1 key 1.1.1.1");
        Assert.False(show.Close);
        Assert.EndsWith(" gpc0=1 http_req_rate(10000)=0\n\n> ", show.Output, StringComparison.Ordinal);
        var empty = session.Execute(string.Empty);
        Assert.StartsWith("Unknown command. Please enter one of the following commands only:\n", empty.Output, StringComparison.Ordinal);
        Assert.EndsWith("\n\n> ", empty.Output, StringComparison.Ordinal);
        Assert.Equal(new CliResponse(string.Empty, true), session.Execute("quit"));
    }

    [Fact]
    public void Prompt_Twice_LeavesInteractiveModeAndCloses()
    {
        var session = new CliSession(_node.Context, CliLevel.Admin);
        session.Execute("prompt");

        Assert.Equal(new CliResponse("\n", true), session.Execute("prompt"));
    }

    [Fact]
    public void Help_ListsCommandsInHaproxyFormat()
    {
        var help = _node.Run("help");

        Assert.StartsWith("The following commands are valid at this level:\n", help, StringComparison.Ordinal);
        Assert.Contains("  clear table <table> [<filter>]*         : remove an entry from a table (filter: data/key)\n", help, StringComparison.Ordinal);
        Assert.Contains("  set table <table> key <k> [data.* <v>]* : update or create a table entry's data\n", help, StringComparison.Ordinal);
        Assert.EndsWith("  quit                                    : disconnect\n\n", help, StringComparison.Ordinal);
        Assert.DoesNotContain("set table", _node.Run("help", CliLevel.User), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_HaproxyStyleHint()
    {
        Assert.StartsWith("Unknown command, but maybe one of the following ones is a better match:\n  ", _node.Run("foo"), StringComparison.Ordinal);
    }

    [Fact]
    public void ShowPeers_ListsPeersInHaproxyOrder()
    {
        var text = _node.Run("show peers");

        var lines = text.Split('\n');
        Assert.Matches(@"^0x[0-9a-f]+: \[26/Nov/2026:12:00:00\] id=mesh disabled=0 flags=0x1 resync_timeout=<PAST> task_calls=0$", lines[0]);
        Assert.Matches(@"^  0x[0-9a-f]+: id=other\(local,inactive\) addr=127.0.0.1:23457 last_status=NONE last_hdshk=<NEVER>$", lines[1]);
        Assert.Contains(lines, l => l.Contains("id=hap1(remote,inactive) addr=127.0.0.1:23456", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("table:", StringComparison.Ordinal) && l.Contains(" id=mesh/t1 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2028-02-29T23:59:58Z", 0, "29/Feb/2028:23:59:58")]
    [InlineData("2028-02-29T23:59:58Z", 330, "01/Mar/2028:05:29:58")]
    [InlineData("2027-01-01T00:00:01Z", -600, "31/Dec/2026:14:00:01")]
    [InlineData("2026-12-31T10:30:00Z", 840, "01/Jan/2027:00:30:00")]
    public void ShowPeers_SectionDate_IsTheStartInstantInTheProvidersLocalZone(string startedAt, int offsetMinutes, string expected)
    {
        // HAProxy prints the section date with localtime(); the zone and the instant both come from
        // the node's TimeProvider, so the output is the same on any machine, date, zone or locale.
        var node = new CliTestNode(startedAt: DateTimeOffset.Parse(startedAt, System.Globalization.CultureInfo.InvariantCulture));
        var zone = TimeZoneInfo.CreateCustomTimeZone("test", TimeSpan.FromMinutes(offsetMinutes), "test", "test");
        node.Time.SetLocalTimeZone(zone);
        node.Time.Advance(TimeSpan.FromHours(3));

        var first = node.Run("show peers").Split('\n')[0];

        Assert.Matches(@"^0x[0-9a-f]+: \[" + expected + @"\] id=mesh ", first);
    }
}
