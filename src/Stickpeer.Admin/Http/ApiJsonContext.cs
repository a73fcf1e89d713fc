// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stickpeer.Admin.Http;

/// <summary>Source-generated serialisers of every type the API reads or writes (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(PeersResponse))]
[JsonSerializable(typeof(IReadOnlyList<TableInfo>))]
[JsonSerializable(typeof(TableEntriesResponse))]
[JsonSerializable(typeof(EntryInfo))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
