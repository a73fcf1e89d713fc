// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Net;

/// <summary>Bytes read from one side of a relayed connection at one moment.</summary>
/// <param name="Timestamp">When the relay read them.</param>
/// <param name="Offset">Offset of the first byte within its direction's stream.</param>
/// <param name="Data">The bytes.</param>
public readonly record struct RecordedChunk(DateTimeOffset Timestamp, long Offset, ReadOnlyMemory<byte> Data);
