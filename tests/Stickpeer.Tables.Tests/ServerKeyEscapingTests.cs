// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

/// <summary>A server_key value comes from a peer: <c>show table</c> escapes it like a string key.</summary>
public sealed class ServerKeyEscapingTests
{
    [Fact]
    public void ShowTable_EscapesPeerSuppliedServerKeyBytes()
    {
        var t = TestTables.Create("type ip size 10 store server_key", new FakeTimeProvider());
        // s, invalid FF FE, a newline, then text that would read as a second entry line if printed raw.
        byte[] received = [0x73, 0xFF, 0xFE, 0x0A, .."0x1: key=1.2.3.4 use=0"u8];
        t.Set(t.Key("10.0.0.1"), [new DataAssignment(StickDataType.ServerKey, 0, 0, DictionaryText.Decode(received))]);

        var writer = new StringWriter { NewLine = "\n" };
        ShowTableFormatter.WriteTable(writer, t);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        Assert.EndsWith(@" server_key=s\xff\xfe\n0x1:\ key\=1.2.3.4\ use\=0", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ShowTable_PlainServerNames_PrintAsHaproxyPrintsThem()
    {
        var t = TestTables.Create("type ip size 10 store server_key", new FakeTimeProvider());
        t.Set(t.Key("10.0.0.1"), [new DataAssignment(StickDataType.ServerKey, 0, 0, "srv-1.a_b:2")]);

        var writer = new StringWriter { NewLine = "\n" };
        ShowTableFormatter.WriteTable(writer, t);

        Assert.EndsWith(" server_key=srv-1.a_b:2\n", writer.ToString(), StringComparison.Ordinal);
    }
}
