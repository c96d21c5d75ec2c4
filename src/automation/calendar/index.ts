export * from './calendar-config.ts';
export * from './business-calendar.ts';
export * from './business-time.ts';
export { productionDay, productionYear, productionYearComplete, SHIPPED_YEARS, type ProductionDay } from './production-calendar/index.ts';
