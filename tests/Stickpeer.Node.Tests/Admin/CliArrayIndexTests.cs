// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Admin;
using Stickpeer.Admin.Tables;

namespace Stickpeer.Node.Tests.Admin;

/// <summary>
/// HAProxy 3.2+'s <c>data.&lt;array&gt;[&lt;idx&gt;]</c> CLI words (upstream e8b7337d8), its index error
/// text, and the 3.x <c>show table</c> line with <c>shard=</c>.
/// </summary>
public sealed class CliArrayIndexTests
{
    private const string Config = """
        peers mesh
            peer hap1 127.0.0.1:23456
            peer other 127.0.0.1:23457
            table a type string len 32 size 100 store gpt(2),gpc(3),gpc_rate(2,1m),http_req_cnt
        """;

    private readonly CliTestNode _node = new(Config);

    [Fact]
    public void SetTable_ArrayElement_SetsOnlyThatElement()
    {
        Assert.Equal("\n", _node.Run("set table mesh/a key k data.gpc[2] 7 data.gpt[1] 4 data.gpc_rate[1] 3"));

        Assert.Equal(
            "# table: mesh/a, type: string, size:100, used:1\n"
            + "0x0: key=k use=0 exp=0 http_req_cnt=0 gpt0=0 gpt1=4 gpc0=0 gpc1=0 gpc2=7 gpc0_rate(60000)=0 gpc1_rate(60000)=3\n\n",
            CliTestNode.MaskAddresses(_node.Run("show table mesh/a")));
    }

    [Fact]
    public void SetTable_ArrayWithoutIndex_IsElementZeroAsIn26()
    {
        _node.Run("set table mesh/a key k data.gpc 5");

        Assert.Contains(" gpc0=5 gpc1=0 gpc2=0 ", _node.Run("show table mesh/a key k"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data.gpc[+1] 9", " gpc0=0 gpc1=9 gpc2=0 ")]
    [InlineData("data.gpc[\\ 2] 9", " gpc0=0 gpc1=0 gpc2=9 ")]
    [InlineData("data.gpc[002] 9", " gpc0=0 gpc1=0 gpc2=9 ")]
    [InlineData("data.gpc[4294967297] 9", " gpc0=0 gpc1=9 gpc2=0 ")]
    public void SetTable_IndexReadLikeStrtoulIntoUnsignedInt(string assignment, string expected)
    {
        // HAProxy reads the index with strtoul (blanks and a sign allowed) into a 32-bit
        // unsigned int, so 2^32 + 1 is element 1.
        Assert.Equal("\n", _node.Run("set table mesh/a key k " + assignment));

        Assert.Contains(expected, _node.Run("show table mesh/a key k"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data.gpc[3] 1", "index out of range in this data array\n\n")]
    [InlineData("data.gpt[2] 1", "index out of range in this data array\n\n")]
    [InlineData("data.gpc[-1] 1", "index out of range in this data array\n\n")]
    [InlineData("data.gpc[18446744073709551616] 1", "index out of range in this data array\n\n")]
    [InlineData("data.gpc[] 1", "Unknown data type\n\n")]
    [InlineData("data.gpc[1]x 1", "Unknown data type\n\n")]
    [InlineData("data.gpc[0x1] 1", "Unknown data type\n\n")]
    [InlineData("data.gpc[1 1", "Unknown data type\n\n")]
    [InlineData("data.gpc0[0] 1", "Unknown data type\n\n")]
    [InlineData("data.http_req_cnt[0] 1", "Unknown data type\n\n")]
    [InlineData("data.g[1] 1", "Unknown data type\n\n")]
    [InlineData("data.gpc1[0] 1", "Unknown data type\n\n")]
    [InlineData("data.gpc[9] x", "Require a valid integer value to store\n\n")]
    [InlineData("data.conn_cnt[0] 1", "Unknown data type\n\n")]
    [InlineData("data.gpt0 1", "Data type not stored in this table\n\n")]
    public void SetTable_BadArrayWord_AnswersHaproxyText(string assignment, string expected)
    {
        Assert.Equal(expected, _node.Run("set table mesh/a key k " + assignment));
        Assert.Equal("# table: mesh/a, type: string, size:100, used:0\n\n", _node.Run("show table mesh/a"));
    }

    [Fact]
    public void ShowAndClear_FilterOnArrayElement_SelectsByThatElement()
    {
        _node.Run("set table mesh/a key x data.gpc[1] 10");
        _node.Run("set table mesh/a key y data.gpc[0] 10");

        var shown = _node.Run("show table mesh/a data.gpc[1] ge 10");
        Assert.Contains("key=x ", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("key=y ", shown, StringComparison.Ordinal);

        Assert.Equal("\n", _node.Run("clear table mesh/a data.gpc[0] eq 10"));
        var left = _node.Run("show table mesh/a");
        Assert.Contains("key=x ", left, StringComparison.Ordinal);
        Assert.DoesNotContain("key=y ", left, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowAndClear_FilterPastTheArray_MatchNothingWithoutError()
    {
        _node.Run("set table mesh/a key x data.gpc[2] 1");

        // HAProxy 3.2+ skips every entry when a filter's element does not exist.
        Assert.Equal("# table: mesh/a, type: string, size:100, used:1\n\n", _node.Run("show table mesh/a data.gpc[3] ge 0"));
        Assert.Equal("\n", _node.Run("clear table mesh/a data.gpc[3] ge 0"));
        Assert.Contains("key=x ", _node.Run("show table mesh/a"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show table mesh/a data.gpc[3] ge 0 data.zzz eq 1", "Filter entry #2: Unknown data type\n\n")]
    [InlineData("show table mesh/a data.gpc[1 ge 0", "Filter entry #1: Unknown data type\n\n")]
    [InlineData("show table mesh/a data.gpc[9] ge x", "Filter entry #1: Require a valid integer value to compare against\n\n")]
    [InlineData("show table mesh/a data.gpc[0] ge 0 data.gpt[5] xx 0", "Filter entry #2: Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n\n")]
    [InlineData("show table mesh/a data.gpc[0] ge 0 data.gpc[1] ge 0 data.gpc[2] ge 0 data.gpc[3] ge 0 more", "Detected extra data in filter, 16th word of input, after '0'\n\n")]
    public void ShowTable_BadFilterAfterOutOfRangeOne_StillReported(string line, string expected)
    {
        Assert.Equal(expected, _node.Run(line));
    }

    [Fact]
    public void ShowTable_Haproxy3Format_PrintsShardZeroAfterExp()
    {
        var node = new CliTestNode(Config, CliDialect.Haproxy3);
        node.Run("set table mesh/a key k data.gpc[1] 2");

        Assert.Equal(
            "0x0: key=k use=0 exp=0 shard=0 http_req_cnt=0 gpt0=0 gpt1=0 gpc0=0 gpc1=2 gpc2=0 gpc0_rate(60000)=0 gpc1_rate(60000)=0\n",
            CliTestNode.MaskAddresses(node.Run("show table mesh/a key k")).Split('\n')[1] + "\n");
    }

    [Fact]
    public void AdminContext_Default_IsTheHaproxy3Line()
    {
        var context = new AdminContext(_node.Context.Node, _node.Context.Tables, _node.Time, "t");

        Assert.Equal(CliDialect.Haproxy3, context.CliDialect);
    }

    [Theory]
    [InlineData(null, CliDialect.Haproxy3)]
    [InlineData("", CliDialect.Haproxy3)]
    [InlineData("3", CliDialect.Haproxy3)]
    [InlineData("3.x", CliDialect.Haproxy3)]
    [InlineData("2.6", CliDialect.Haproxy26)]
    public void CliDialectSetting_KnownValues_Parse(string? text, CliDialect expected)
    {
        Assert.True(CliDialectSetting.TryParse(text, out var format, out var error));
        Assert.Null(error);
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("2.7")]
    [InlineData("haproxy3")]
    public void CliDialectSetting_UnknownValue_NamesTheVariable(string text)
    {
        Assert.False(CliDialectSetting.TryParse(text, out _, out var error));
        Assert.Contains(CliDialectSetting.Variable, error, StringComparison.Ordinal);
    }
}
