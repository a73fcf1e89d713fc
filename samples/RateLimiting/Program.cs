// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Samples.RateLimiting;

// dotnet run --project samples/RateLimiting -- --urls http://127.0.0.1:8080 --Stickpeer:Bind 127.0.0.1:10000 --Stickpeer:Haproxy 127.0.0.1:10001
await RateLimitingApp.Build(args).RunAsync();
