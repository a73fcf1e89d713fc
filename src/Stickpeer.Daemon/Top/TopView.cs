// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Stickpeer.Daemon.Top;

/// <summary>
/// One frame of <c>stickpeer top</c>: a table of peers (state, last status, traffic, update rate,
/// ACK lag) and one of tables (used/size). Rates come from the previous sample. Every value is
/// escaped as Spectre markup would otherwise read brackets in peer-chosen names.
/// </summary>
public static class TopView
{
    public static IRenderable Render(TopSample sample, TopSample? previous)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var ci = CultureInfo.InvariantCulture;
        var peers = new Table().Title("peers of " + Markup.Escape(sample.Peers.GetProperty("localPeer").GetString() ?? "?"))
            .AddColumns("section", "peer", "state", "last status", "bytes in", "bytes out", "updates/s", "ACK lag", "errors");
        foreach (var section in sample.Peers.GetProperty("sections").EnumerateArray())
        {
            var sectionName = section.GetProperty("name").GetString() ?? string.Empty;
            foreach (var p in section.GetProperty("peers").EnumerateArray())
            {
                var name = p.GetProperty("name").GetString() ?? string.Empty;
                var up = p.GetProperty("up").GetBoolean();
                var traffic = p.GetProperty("traffic");
                var lag = p.GetProperty("tables").EnumerateArray().Sum(t => t.GetProperty("ackLag").GetInt64());
                var errors = p.GetProperty("protocolErrors").GetInt64() + p.GetProperty("deadPeerTimeouts").GetInt64() + p.GetProperty("collisions").GetInt64();
                peers.AddRow(
                    Markup.Escape($"{sectionName} ({section.GetProperty("syncState").GetString()})"),
                    Markup.Escape(name),
                    (up ? "[green]" : "[red]") + Markup.Escape(p.GetProperty("state").GetString() ?? "?") + "[/]",
                    Markup.Escape($"{p.GetProperty("lastStatusName").GetString()} ({p.GetProperty("lastStatus").GetInt32()})"),
                    traffic.GetProperty("bytesIn").GetInt64().ToString(ci),
                    traffic.GetProperty("bytesOut").GetInt64().ToString(ci),
                    Rate(sample, previous, sectionName, name),
                    lag.ToString(ci),
                    errors.ToString(ci));
            }
        }

        var tables = new Table().Title("tables").AddColumns("table", "type", "used / size", "fill");
        foreach (var t in sample.Tables.EnumerateArray())
        {
            var used = t.GetProperty("used").GetInt64();
            var size = t.GetProperty("size").GetInt64();
            tables.AddRow(
                Markup.Escape(t.GetProperty("name").GetString() ?? string.Empty),
                Markup.Escape(t.GetProperty("type").GetString() ?? string.Empty),
                $"{used.ToString(ci)} / {size.ToString(ci)}",
                size == 0 ? "-" : (100.0 * used / size).ToString("0.0", ci) + " %");
        }

        return new Rows(peers, tables, new Text("updated " + sample.At.ToString("HH:mm:ss", ci) + " UTC; Ctrl+C quits"));
    }

    private static string Rate(TopSample sample, TopSample? previous, string section, string peer)
    {
        var seconds = previous is null ? 0 : (sample.At - previous.At).TotalSeconds;
        if (previous?.PeerUpdates(section, peer) is not { } before || sample.PeerUpdates(section, peer) is not { } now || seconds <= 0)
        {
            return "-";
        }

        // A restarted daemon starts its counters again: no negative rate.
        return Math.Max(0, (now - before) / seconds).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
