// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Admin.Tables;

namespace Stickpeer.Node.Tests.Admin;

/// <summary>
/// Keys of the other address family, converted as HAProxy 2.9+ does (upstream 8dae361f3), and
/// the "Invalid key" answers of each dialect. CliParityTests checks the same against HAProxy.
/// </summary>
public sealed class CliKeyTests
{
    private const string Config = """
        peers mesh
            peer hap1 127.0.0.1:23456
            peer other 127.0.0.1:23457
            table v4 type ip size 100 store gpc0
            table v6 type ipv6 size 100 store gpc0
        """;

    [Theory]
    [InlineData("v6", "10.0.0.1", "key=::ffff:10.0.0.1 ")]
    [InlineData("v4", "::ffff:10.0.0.2", "key=10.0.0.2 ")]
    [InlineData("v4", "::10.0.0.3", "key=10.0.0.3 ")]
    [InlineData("v4", "2002:0a00:0004::1", "key=10.0.0.4 ")]
    [InlineData("v4", "010.0.0.5", "key=10.0.0.5 ")]
    [InlineData("v4", "10.0.0.6x", "key=10.0.0.6 ")]
    [InlineData("v6", "010.0.0.7", "key=::ffff:10.0.0.7 ")]
    public void SetTable_OtherFamily_StoresTheConvertedAddress(string table, string key, string expected)
    {
        var node = new CliTestNode(Config);

        Assert.Equal("\n", node.Run($"set table mesh/{table} key {key} data.gpc0 1"));

        Assert.Contains(expected, node.Run($"show table mesh/{table}"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2001:db8::1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3.4.")]
    [InlineData("1..2.3")]
    [InlineData("x1.2.3.4")]
    public void SetTable_NotAnIPv4Address_IsInvalidInIPv4Table(string key)
    {
        var node = new CliTestNode(Config);

        Assert.Equal("Invalid key\n\n", node.Run($"set table mesh/v4 key {key} data.gpc0 1"));
        Assert.Equal("# table: mesh/v4, type: ip, size:100, used:0\n\n", node.Run("show table mesh/v4"));
    }

    [Theory]
    [InlineData(CliDialect.Haproxy26, "-1", null)]
    [InlineData(CliDialect.Haproxy26, "4294967296", null)]
    [InlineData(CliDialect.Haproxy26, "x", null)]
    [InlineData(CliDialect.Haproxy26, "\\ 5", "5")]
    [InlineData(CliDialect.Haproxy26, "+6", "6")]
    [InlineData(CliDialect.Haproxy26, "-0", "0")]
    [InlineData(CliDialect.Haproxy26, "7x", "7")]
    [InlineData(CliDialect.Haproxy26, "4294967295", "4294967295")]
    [InlineData(CliDialect.Haproxy3, "-1", "4294967295")]
    [InlineData(CliDialect.Haproxy3, "4294967296", "0")]
    [InlineData(CliDialect.Haproxy3, "4294967297", "1")]
    [InlineData(CliDialect.Haproxy3, "-4294967297", "4294967295")]
    [InlineData(CliDialect.Haproxy3, "99999999999999999999", "4294967295")]
    [InlineData(CliDialect.Haproxy3, "-99999999999999999999", "0")]
    [InlineData(CliDialect.Haproxy3, "\\ 5", "0")]
    [InlineData(CliDialect.Haproxy3, "x", "0")]
    [InlineData(CliDialect.Haproxy3, "+6", "6")]
    [InlineData(CliDialect.Haproxy3, "12.5", "12")]
    public void SetTable_IntegerKey_ReadAsTheDialectsHaproxy(CliDialect dialect, string key, string? stored)
    {
        var node = new CliTestNode(Config + "\n    table n type integer size 100 store gpc0\n", dialect);

        var answer = node.Run($"set table mesh/n key {key} data.gpc0 1");

        Assert.Equal(stored is null ? "Invalid key\n\n" : "\n", answer);
        Assert.Equal(stored is null ? 0 : 1, node.Context.Tables.Tables.Single(t => t.Name == "mesh/n").Count);
        if (stored is not null)
        {
            Assert.Contains($" key={stored} ", node.Run("show table mesh/n"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(CliDialect.Haproxy26, "show table mesh/v4 key zzz", "\n")]
    [InlineData(CliDialect.Haproxy26, "clear table mesh/v4 key zzz", "\n")]
    [InlineData(CliDialect.Haproxy26, "show table mesh/v6 key zzz", "Invalid key\n\n")]
    [InlineData(CliDialect.Haproxy3, "show table mesh/v4 key zzz", "Invalid key\n\n")]
    [InlineData(CliDialect.Haproxy3, "clear table mesh/v4 key zzz", "Invalid key\n\n")]
    [InlineData(CliDialect.Haproxy3, "show table mesh/v6 key zzz", "Invalid key\n\n")]
    public void ShowAndClear_BadAddress_AnswerLikeTheDialect(CliDialect dialect, string line, string expected)
    {
        Assert.Equal(expected, new CliTestNode(Config, dialect).Run(line));
    }
}
