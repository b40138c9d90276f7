-- A voucher always balances: checked at commit, so its lines can be inserted one by one in a transaction.
CREATE FUNCTION check_voucher_balance() RETURNS trigger AS $$
DECLARE
  total bigint;
BEGIN
  SELECT COALESCE(SUM(amount), 0) INTO total FROM voucher_lines WHERE voucher_id = NEW.voucher_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'voucher % does not balance: lines sum to %', NEW.voucher_id, total USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER voucher_lines_balance
  AFTER INSERT OR UPDATE ON voucher_lines
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION check_voucher_balance();
