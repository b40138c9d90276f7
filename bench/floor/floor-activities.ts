/** The floor's one activity: one INSERT per order, on a plain postgres.js pool (no ORM, no transaction around it). */
import type { Sql } from 'postgres';
import type { FloorOrder } from './floor-workflow';

/** Where the floor books; the bench creates it in the bench database (bench/floor/floor-scenario.ts). */
export const floorTableDdl = 'CREATE TABLE IF NOT EXISTS bench_floor_orders (order_id text PRIMARY KEY, total bigint NOT NULL, booked_at timestamptz NOT NULL DEFAULT now())';

export function createFloorActivities(sql: Sql) {
  return {
    async bookFloorOrder(order: FloorOrder): Promise<void> {
      // A retried activity finds its row: booked once.
      await sql`INSERT INTO bench_floor_orders (order_id, total) VALUES (${order.orderId}, ${order.total}) ON CONFLICT DO NOTHING`;
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
