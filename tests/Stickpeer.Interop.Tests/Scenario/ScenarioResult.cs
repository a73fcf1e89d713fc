// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests.Scenario;

/// <summary>What one run of the recording scenario produced.</summary>
internal sealed record ScenarioResult(
    IReadOnlyList<RecordedDirection> Directions,
    IReadOnlyDictionary<string, IReadOnlyList<TableDump>> TablesByNode,
    IReadOnlyDictionary<string, string> ConfigByNode,
    IReadOnlyList<ScenarioEntry> Entries,
    IReadOnlyList<string> TrafficSources,
    DateTimeOffset SnapshotAt,
    string HaproxyVersion);
