// The smallest Medusa 2.21 application the web-shop connector's opt-in test runs
// (tests/connectors/test_webshop_medusa_real.py): PostgreSQL from DATABASE_URL, no admin
// dashboard build, the in-memory event bus and cache Medusa falls back to.
const { loadEnv, defineConfig } = require("@medusajs/framework/utils")
loadEnv(process.env.NODE_ENV || "development", process.cwd())
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "*", adminCors: "*", authCors: "*",
      jwtSecret: "salescore-test", cookieSecret: "salescore-test",
    },
  },
  admin: { disable: true },
})
