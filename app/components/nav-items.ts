/** The admin navigation, shared by App Bridge's NavMenu and the demo's stand-in navigation. */
export const NAV_ITEMS = [
  { label: "Dashboard", to: "/app" },
  { label: "Survey", to: "/app/survey" },
  { label: "Loyalty", to: "/app/loyalty" },
  { label: "Customers", to: "/app/customers" },
  { label: "Returns", to: "/app/returns" },
  { label: "Follow-ups", to: "/app/followups" },
] as const;
