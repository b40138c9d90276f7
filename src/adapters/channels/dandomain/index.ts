export { mapDandomainOrder, paymentMethodKey } from './order';
export { DandomainOrderService, type DandomainOrderServiceOptions } from './order-service';
