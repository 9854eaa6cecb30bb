// What `#app-router` names for the browser-only type check (tsconfig.web.json). The server's real
// AppRouter type reaches the server's own modules and, through them, Node's types, which would make
// `process` or `Buffer` type-check in every browser file of that program. So the browser check sees
// an untyped router here, and tsconfig.portal.json checks the portal against the real AppRouter.
export type AppRouter = any;
