// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Admin;

/// <summary>What to send back for one request line, and whether to close the connection afterwards.</summary>
public readonly record struct CliResponse(string Output, bool Close);
