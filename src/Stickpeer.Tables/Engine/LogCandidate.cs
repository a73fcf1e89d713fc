// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>A live update-log record found while collecting local changes.</summary>
internal readonly record struct LogCandidate(long Id, int Shard, int Slot);
