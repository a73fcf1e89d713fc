// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Admin;

namespace Stickpeer.Node.Tests.Admin;

/// <summary>
/// The fast path of plain <c>set table</c> lines: what it takes it applies as the general path
/// does; what it declines it leaves untouched (the general path then answers, errors included).
/// </summary>
public sealed class CliSetLineTests
{
    private readonly CliTestNode _node = new();

    [Theory]
    [InlineData("set table mesh/t1 key 10.0.0.1 data.gpc0 5 data.http_req_rate 3")]
    [InlineData("set  table\tmesh/t1 key 10.0.0.1   data.gpc0 5 data.http_req_rate 3\r")]
    [InlineData("set table mesh/t1 key 10.0.0.1x data.gpc0 5 data.http_req_rate 3")]
    [InlineData("set table mesh/t1 key 10.0.0.1 data.gpc0 +5 data.http_req_rate 3")]
    public void Accepts_PlainSetLines_AndAppliesThemAsTheGeneralPath(string line)
    {
        var fast = new CliSetLine(_node.Context);

        Assert.True(fast.TryRun(line, out var answer));

        Assert.Equal(string.Empty, answer);
        Assert.Equal(
            "# table: mesh/t1, type: ip, size:1024, used:1\n0x0: key=10.0.0.1 use=0 exp=30000 server_id=0 gpc0=5 http_req_rate(10000)=3\n\n",
            CliTestNode.MaskAddresses(_node.Run("show table mesh/t1")));
    }

    [Fact]
    public void Accepts_StringKeys_CutToTheDeclaredLength()
    {
        var fast = new CliSetLine(_node.Context);

        Assert.True(fast.TryRun("set table mesh/ts key abcdefghijklmnopqrstuvwxyz0123456789XYZ data.gpt 3 data.gpt[1] 4", out _));
        Assert.True(fast.TryRun("set table mesh/ts key abc", out _));

        var shown = CliTestNode.MaskAddresses(_node.Run("show table mesh/ts"));
        Assert.Contains("0x0: key=abcdefghijklmnopqrstuvwxyz012345 use=0 exp=0 gpt0=3 gpt1=4 ", shown, StringComparison.Ordinal);
        Assert.Contains("0x0: key=abc use=0 exp=0 gpt0=0 gpt1=0 ", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set table mesh/t1 key 10.0.0.1 data.gpc0 5;show table")] // two commands
    [InlineData("set table mesh/t1 key 10.0.0.\\1 data.gpc0 5")] // an escape
    [InlineData("set table mesh/t1 key 10.0.0.1 data.gpc0 5 data.http_req_rate")] // a value missing
    [InlineData("set table mesh/t1 key 10.0.0.1 data.gpc0 x")] // not an integer
    [InlineData("set table mesh/t1 key 10.0.0.1 data.conn_cnt 1")] // not stored
    [InlineData("set table mesh/t1 key 10.0.0.1 data.nosuch 1")] // unknown type
    [InlineData("set table mesh/t1 key 10.0.0.1 gpc0 1")] // no data. prefix
    [InlineData("set table mesh/t1 key 10.0.0.256 data.gpc0 1")] // bad key
    [InlineData("set table mesh/t1 key ::ffff:10.0.0.1 data.gpc0 1")] // IPv6 form: the general path converts it
    [InlineData("set table mesh/nosuch key 10.0.0.1 data.gpc0 1")]
    [InlineData("set table mesh/t1 ptr 0x1 data.gpc0 1")]
    [InlineData("set table mesh/t1 key")]
    [InlineData("set table be key 5 data.conn_cnt 1")] // integer keys: the general path
    [InlineData("set table mesh/ts key clé data.gpt 1")] // not ASCII
    [InlineData("set table mesh/ts key abc data.gpt[2] 1")] // index out of range
    [InlineData("show table mesh/t1 key 10.0.0.1")]
    public void Declines_AnythingElse_WithoutChangingTheTable(string line)
    {
        var fast = new CliSetLine(_node.Context);

        Assert.False(fast.TryRun(line, out _));

        Assert.DoesNotContain("used:1", _node.Run("show table"), StringComparison.Ordinal);
    }

    [Fact]
    public void Declines_MoreThanMaxWords_WhichTheGeneralPathCuts()
    {
        var line = "set table mesh/t1 key 10.0.0.1" + string.Concat(Enumerable.Repeat(" data.gpc0 1", 30));
        var fast = new CliSetLine(_node.Context);

        Assert.False(fast.TryRun(line, out _));
        Assert.True(fast.TryRun("set table mesh/t1 key 10.0.0.1" + string.Concat(Enumerable.Repeat(" data.gpc0 1", 29)), out _));
    }

    [Fact]
    public void Session_PlainSetInPromptMode_AnswersLikeHaproxy()
    {
        var session = new CliSession(_node.Context, CliLevel.Admin);
        Assert.Equal("\n> ", session.Execute("prompt").Output);

        Assert.Equal(new CliResponse("\n> ", Close: false), session.Execute("set table mesh/t1 key 1.2.3.4 data.gpc0 1"));
        Assert.Equal(new CliResponse("Require a valid integer value to store\n\n> ", Close: false), session.Execute("set table mesh/t1 key 1.2.3.4 data.gpc0 x"));
    }

    [Fact]
    public void Session_UserLevel_IsStillDenied()
    {
        Assert.Equal("Permission denied\n\n", _node.Run("set table mesh/t1 key 1.2.3.4 data.gpc0 1", CliLevel.User));
        Assert.DoesNotContain("used:1", _node.Run("show table"), StringComparison.Ordinal);
    }
}
