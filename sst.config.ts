/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "commerce-ops",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
    };
  },
  async run() {
    const { createStorage } = await import("./stacks/storage");
    const { createIngest } = await import("./stacks/ingest");
    const { createApi } = await import("./stacks/api");

    const storage = createStorage();
    const ingest = createIngest(storage);
    const api = createApi(storage, ingest);

    return {
      api: api.url,
      bucket: storage.bucket.name,
      table: storage.table.name,
    };
  },
});
