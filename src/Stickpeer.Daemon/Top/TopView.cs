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
        var peers = new Table().Title("peers of " + Markup.Escape(sample.LocalPeer ?? "?"))
            .AddColumns("section", "peer", "state", "last status", "bytes in", "bytes out", "updates/s", "ACK lag", "errors");
        foreach (var section in sample.Sections)
        {
            foreach (var p in section.Peers)
            {
                peers.AddRow(
                    Markup.Escape($"{section.Name} ({section.SyncState})"),
                    Markup.Escape(p.Name),
                    (p.Up ? "[green]" : "[red]") + Markup.Escape(p.State) + "[/]",
                    Markup.Escape(p.LastStatus),
                    p.BytesIn?.ToString(ci) ?? "-",
                    p.BytesOut?.ToString(ci) ?? "-",
                    Rate(sample, previous, section.Name, p.Name),
                    p.AckLag.ToString(ci),
                    p.Errors.ToString(ci));
            }
        }

        var tables = new Table().Title("tables").AddColumns("table", "type", "used / size", "fill");
        foreach (var t in sample.Tables)
        {
            tables.AddRow(
                Markup.Escape(t.Name),
                Markup.Escape(t.Type),
                $"{t.Used.ToString(ci)} / {t.Size.ToString(ci)}",
                t.Size == 0 ? "-" : (100.0 * t.Used / t.Size).ToString("0.0", ci) + " %");
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

        // A restarted node starts its counters again: no negative rate.
        return Math.Max(0, (now - before) / seconds).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
