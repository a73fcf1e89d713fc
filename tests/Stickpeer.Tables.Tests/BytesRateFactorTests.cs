// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

/// <summary>
/// HAProxy 3.1's <c>brates-factor</c>: byte rates store blocks of N bytes (so does the wire), and
/// every reader multiplies back.
/// </summary>
public sealed class BytesRateFactorTests
{
    private const string Declaration = "type ip size 10 expire 1m store bytes_in_cnt,bytes_in_rate(10s),bytes_out_rate(10s),conn_rate(10s) brates-factor 8";
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Increment_AddsWholeBlocksRoundedUp_ReadersMultiplyBack()
    {
        var t = TestTables.Create(Declaration, _time);
        var key = t.Key("10.0.0.1");

        t.Increment(key, StickDataType.BytesInCnt, 0, 20);   // 20 bytes: 3 blocks of 8
        t.Increment(key, StickDataType.BytesOutRate, 0, 16); // exactly 2 blocks
        t.Increment(key, StickDataType.ConnRate, 0, 5);      // not a byte rate: unscaled

        Assert.Equal(8u, t.BytesRateFactor);
        Assert.Equal(20, t.Get("10.0.0.1", StickDataType.BytesInCnt));
        Assert.Equal(24, t.Get("10.0.0.1", StickDataType.BytesInRate));
        Assert.Equal(16, t.Get("10.0.0.1", StickDataType.BytesOutRate));
        Assert.Equal(5, t.Get("10.0.0.1", StickDataType.ConnRate));
    }

    [Fact]
    public void SetTable_WritesTheStoredValue_ShowTableAndFiltersSeeItScaled()
    {
        var t = TestTables.Create(Declaration, _time);
        t.Set(t.Key("10.0.0.1"), [new DataAssignment(StickDataType.BytesInRate, 0, 5)]);
        t.Set(t.Key("10.0.0.2"), [new DataAssignment(StickDataType.BytesInRate, 0, 3)]);

        var writer = new StringWriter { NewLine = "\n" };
        ShowTableFormatter.WriteTable(writer, t, new EntryFilter { Conditions = [new DataCondition(StickDataType.BytesInRate, 0, FilterOperator.Gt, 30)] });

        var text = writer.ToString();
        Assert.Contains(" bytes_in_rate(10000)=40 ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("key=10.0.0.2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LearnedRate_IsTheSendersStoredValue()
    {
        // A peer with the same factor sends its stored blocks; we read them back scaled like it does.
        var t = TestTables.Create(Declaration, _time);
        var u = TestTables.Update(t.Schema, t.Key("10.0.0.9"), v => v.Of(StickDataType.BytesInRate)[0] = new WireValue { AgeMs = 0, Current = 7, Previous = 0 });

        t.ApplyRemote(u);

        Assert.Equal(56, t.Get("10.0.0.9", StickDataType.BytesInRate));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    [InlineData("2k")]
    [InlineData("x")]
    public void Declaration_FactorOutOfRange_IsRefused(string factor)
    {
        var result = StickTableDeclaration.Parse(("type ip size 10 store bytes_in_rate(1s) brates-factor " + factor).Split(' '));

        Assert.False(result.IsSuccess);
        Assert.Contains("brates-factor", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Declaration_FactorWithSuffix_IsASize()
    {
        var result = StickTableDeclaration.Parse("type ip size 10 store bytes_in_rate(1s) brates-factor 1k".Split(' '));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(1024u, result.Declaration.BytesRateFactor);
    }
}
