// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Admin.Tables;

namespace Stickpeer.Node.Tests.Admin;

/// <summary>HAProxy 3.0's <c>show/set/clear table &lt;t&gt; ptr 0x…</c> (upstream 9b2717e7b) and its messages.</summary>
public sealed class CliPointerTests
{
    private readonly CliTestNode _node = new(format: CliDialect.Haproxy3);

    private string AddressOf(string key)
    {
        var line = _node.Run($"show table mesh/t1 key {key}").Split('\n')[1];
        return line[..line.IndexOf(':', StringComparison.Ordinal)];
    }

    [Fact]
    public void ShowSetClear_ByPrintedAddress_ActOnThatEntry()
    {
        _node.Run("set table mesh/t1 key 1.1.1.1 data.gpc0 1");
        _node.Run("set table mesh/t1 key 2.2.2.2 data.gpc0 2");
        var ptr = AddressOf("1.1.1.1");

        Assert.Contains(" key=1.1.1.1 ", _node.Run($"show table mesh/t1 ptr {ptr}"), StringComparison.Ordinal);
        Assert.Equal("\n", _node.Run($"set table mesh/t1 ptr {ptr} data.gpc0 9"));
        Assert.Contains(" gpc0=9 ", _node.Run("show table mesh/t1 key 1.1.1.1"), StringComparison.Ordinal);
        Assert.Equal("\n", _node.Run($"clear table mesh/t1 ptr {ptr}"));

        var left = _node.Run("show table mesh/t1");
        Assert.DoesNotContain("key=1.1.1.1 ", left, StringComparison.Ordinal);
        Assert.Contains("key=2.2.2.2 ", left, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show table mesh/t1 ptr", "Pointer expected (0xffff notation)\n\n")]
    [InlineData("show table mesh/t1 ptr 1234", "Pointer expected (0xffff notation)\n\n")]
    [InlineData("show table mesh/t1 ptr 0x", "Malformed ptr.\n\n")]
    [InlineData("show table mesh/t1 ptr 0x12g", "Malformed ptr.\n\n")]
    [InlineData("show table mesh/t1 ptr 0x1", "No entry can be found matching ptr.\n\n")]
    [InlineData("clear table mesh/t1 ptr 0xffffffffffffffffffff", "No entry can be found matching ptr.\n\n")]
    [InlineData("show table mesh/t1 foo", "Optional argument only supports \"data.<store_data_type>\" <operator> <value> or key <key> or ptr <ptr>\n\n")]
    [InlineData("clear table mesh/t1 foo", "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key> or <table> ptr <ptr>\n\n")]
    [InlineData("set table mesh/t1 foo", "Required arguments: <table> key <key> [data.<store_data_type> <value>]* or <table> ptr <ptr> [data.<store_data_type> <value>]*\n\n")]
    public void BadPointerOrArgument_AnswersHaproxy3Text(string line, string expected)
    {
        Assert.Equal(expected, _node.Run(line));
    }

    [Fact]
    public void PointerOfAnotherTable_NamesNoEntry()
    {
        _node.Run("set table mesh/t1 key 1.1.1.1 data.gpc0 1");
        var ptr = AddressOf("1.1.1.1");

        Assert.Equal("No entry can be found matching ptr.\n\n", _node.Run($"show table mesh/ts ptr {ptr}"));
    }
}
