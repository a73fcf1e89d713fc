// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Stickpeer.Protocol.Decode;
using Stickpeer.Interop.Tests.Scenario;
using Stickpeer.Protocol.Model;
using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests.Verification;

/// <summary>
/// Compares the last decoded update of every (table, key) with what <c>show table</c>
/// printed on each node. Integers, arrays and server_key must match exactly; rates must lie
/// between the rates of the decoded counter at its sending age and at the snapshot age;
/// <c>conn_cur</c> is local-only, so a node that only learned the entry prints 0.
/// </summary>
internal static class ShowTableComparer
{
    private const string PeersSection = "mypeers";

    public static IReadOnlyList<string> Compare(IReadOnlyList<DecodedDirection> directions, ScenarioResult scenario, TimeSpan slack)
    {
        var latest = new Dictionary<(string Table, string Key), (DecodedMessage Message, DateTimeOffset At, string From)>();
        foreach (var d in directions)
        {
            foreach (var m in d.Result.Messages.Where(m => m.Kind == DecodedMessageKind.Update))
            {
                var schema = m.Schema!;
                var id = (CliFormat.TableName(schema.Name, PeersSection), CliFormat.Key(schema.KeyType, m.Key));
                var at = d.ArrivalOf(m.Offset, m.Length);
                if (!latest.TryGetValue(id, out var known) || known.At <= at)
                {
                    latest[id] = (m, at, d.Recording.From);
                }
            }
        }

        var problems = new List<string>();
        foreach (var (node, tables) in scenario.TablesByNode)
        {
            foreach (var table in tables)
            {
                foreach (var entry in table.Entries)
                {
                    if (!latest.TryGetValue((table.Name, entry.Key), out var decoded))
                    {
                        problems.Add($"{node}: {table.Name} key {entry.Key} is in show table but was never decoded from the wire");
                        continue;
                    }

                    CompareEntry(node, table.Name, entry, decoded.Message, decoded.At, decoded.From, scenario.SnapshotAt + slack, problems);
                }
            }

            foreach (var ((tableName, key), _) in latest)
            {
                if (tables.FirstOrDefault(t => t.Name == tableName)?.Find(key) is null)
                {
                    problems.Add($"{node}: decoded {tableName} key {key} is missing from show table");
                }
            }
        }

        return problems;
    }

    private static void CompareEntry(string node, string table, TableEntryLine entry, DecodedMessage m, DateTimeOffset sentAt, string sender, DateTimeOffset latestRead, List<string> problems)
    {
        var schema = m.Schema!;
        var values = m.Values!;
        var s = 0;
        var compared = 0;
        foreach (var spec in schema.DataTypes)
        {
            for (var i = 0; i < spec.ArrayLength; i++)
            {
                var slot = values[s++];
                var field = CliFormat.FieldName(spec, i);
                var printed = entry[field];
                var where = $"{node}: {table} key {entry.Key} {field}";
                if (printed is null)
                {
                    problems.Add($"{where}: not printed by show table ({entry.Line})");
                    continue;
                }

                compared++;
                var encoding = spec.Info.Encoding;
                string? expected = encoding switch
                {
                    DataEncoding.SignedInt => unchecked((int)slot.Number).ToString(CultureInfo.InvariantCulture),
                    DataEncoding.UnsignedInt or DataEncoding.UnsignedLong => spec.Type == StickDataType.ConnCur && node != sender
                        ? "0"
                        : slot.Number.ToString(CultureInfo.InvariantCulture),
                    DataEncoding.Dictionary => slot.Text ?? "-",
                    _ => null,
                };
                if (expected is not null)
                {
                    if (printed != expected)
                    {
                        problems.Add($"{where}: wire {expected}, show table {printed}");
                    }

                    continue;
                }

                var extra = (long)Math.Max(0, (latestRead - sentAt).TotalMilliseconds);
                var age = FrequencyCounterMath.SignedAge(slot.AgeMs);
                var (min, max) = FrequencyCounterMath.Bounds(age, age + extra, slot.Current, slot.Previous, spec.PeriodMs);
                var rate = ulong.Parse(printed, CultureInfo.InvariantCulture);
                if (rate < min || rate > max)
                {
                    problems.Add($"{where}: show table rate {rate} outside [{min},{max}] from wire age={slot.AgeMs} curr={slot.Current} prev={slot.Previous}");
                }
            }
        }

        if (compared != entry.Fields.Count)
        {
            problems.Add($"{node}: {table} key {entry.Key}: show table prints {entry.Fields.Count} fields, wire carries {compared}");
        }
    }
}
