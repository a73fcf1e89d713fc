// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Declaration;

namespace Stickpeer.Tables.Tests;

public class DeclarationTests
{
    private static DeclarationParseResult Parse(string line) => StickTableDeclaration.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Parse_FullStringTable_ProducesSchema()
    {
        var r = Parse("stick-table type string len 32 size 2m expire 30m nopurge peers mypeers store gpc0,http_req_rate(10s) store conn_cnt,server_id,gpt(2),gpc_rate(3,1m)");
        Assert.True(r.IsSuccess, r.Error);
        var d = r.Declaration;
        Assert.Equal(StickKeyType.String, d.KeyType);
        Assert.Equal(33, d.KeySize);
        Assert.Equal(2L << 20, d.Size);
        Assert.Equal(1_800_000u, d.ExpireMs);
        Assert.True(d.NoPurge);
        Assert.Equal("mypeers", d.PeersSection);
        Assert.Equal(
            [StickDataType.ServerId, StickDataType.Gpc0, StickDataType.ConnCnt, StickDataType.HttpReqRate, StickDataType.Gpt, StickDataType.GpcRate],
            d.DataTypes.Select(t => t.Type));
        var schema = d.ToSchema("st");
        Assert.True(schema.TryGet(StickDataType.GpcRate, out var gr));
        Assert.Equal((3, 60000u), (gr.ArrayLength, gr.PeriodMs));
        Assert.True(schema.TryGet(StickDataType.HttpReqRate, out var hr));
        Assert.Equal(10000u, hr.PeriodMs);
        Assert.Equal("st", schema.Name);
    }

    [Theory]
    [InlineData("type ip size 1k", StickKeyType.IPv4, 4, 1024)]
    [InlineData("type ipv4 size 1", StickKeyType.IPv4, 4, 1)]
    [InlineData("type ipv6 size 1g", StickKeyType.IPv6, 16, 1L << 30)]
    [InlineData("type integer size 10", StickKeyType.Integer, 4, 10)]
    [InlineData("type string size 10", StickKeyType.String, 32, 10)]
    [InlineData("type binary size 10", StickKeyType.Binary, 32, 10)]
    [InlineData("type binary len 8 size 10", StickKeyType.Binary, 8, 10)]
    public void Parse_KeyTypes_GiveKeySizes(string line, StickKeyType type, int keySize, long size)
    {
        var r = Parse(line);
        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal((type, keySize, size), (r.Declaration.KeyType, r.Declaration.KeySize, r.Declaration.Size));
    }

    [Theory]
    [InlineData("expire 100us", 1u)]
    [InlineData("expire 1500", 1500u)]
    [InlineData("expire 15ms", 15u)]
    [InlineData("expire 2s", 2000u)]
    [InlineData("expire 3m", 180000u)]
    [InlineData("expire 1h", 3600000u)]
    [InlineData("expire 1d", 86400000u)]
    public void Parse_ExpireUnits_AreMilliseconds(string expire, uint ms)
    {
        var r = Parse("type ip size 1 " + expire);
        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal(ms, r.Declaration.ExpireMs);
    }

    [Theory]
    [InlineData("type foo size 1", "unknown key type 'foo'")]
    [InlineData("type ip len 4 size 1", "'len' is only supported")]
    [InlineData("type ip size 1 store http_req_rate", "missing period for data type 'http_req_rate'")]
    [InlineData("type ip size 1 store gpc(101)", "between 1 and 100")]
    [InlineData("type ip size 1 store gpc(0)", "between 1 and 100")]
    [InlineData("type ip size 1 store gpc", "needs an element count")]
    [InlineData("type ip size 1 store gpc_rate(3)", "needs an element count and a period")]
    [InlineData("type ip size 1 store gpt(2),gpt0", "'gpt' and 'gpt0'")]
    [InlineData("type ip size 1 store gpc(2),gpc1", "'gpc' cannot be stored with 'gpc0' or 'gpc1'")]
    [InlineData("type ip size 1 store gpc0,gpc(2)", "'gpc' cannot be stored with 'gpc0' or 'gpc1'")]
    [InlineData("type ip size 1 store gpc_rate(2,1s),gpc0_rate(1s)", "'gpc_rate' cannot be stored")]
    [InlineData("type ip size 1 store foo", "unknown data type 'foo'")]
    [InlineData("type ip size 1 store gpc0(1)", "takes no argument")]
    [InlineData("type ip size 1 store gpc0,gpc0", "more than once")]
    [InlineData("type ip size 1 expire 10x", "unknown time unit")]
    [InlineData("type ip size 1 expire 30d", "too large")]
    [InlineData("type ip size 1x", "unknown size suffix")]
    [InlineData("type ip", "missing 'size'")]
    [InlineData("size 10", "missing 'type'")]
    [InlineData("type ip size 1 bogus", "unknown stick-table keyword 'bogus'")]
    [InlineData("type ip size 1 store http_req_rate(0)", "greater than 0")]
    public void Parse_InvalidDeclaration_NamesTheProblem(string line, string expected)
    {
        var r = Parse(line);
        Assert.False(r.IsSuccess);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ServerNameAlias_IsServerKey()
    {
        var r = Parse("type ip size 1 store server_name");
        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal(StickDataType.ServerKey, Assert.Single(r.Declaration.DataTypes).Type);
    }
}
