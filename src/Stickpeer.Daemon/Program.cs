// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

Console.WriteLine("stickpeer");
return 0;
