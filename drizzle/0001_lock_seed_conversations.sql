-- Seed conversations are the owner's hand-written benchmarks: locked against deletion and
-- against any change to their turns (US10.3.1). Enforced here so no code path can bypass it.
CREATE OR REPLACE FUNCTION brightrun_refuse_seed_delete() RETURNS trigger AS $$
BEGIN
  IF OLD.is_seed THEN
    RAISE EXCEPTION 'Conversation % is a seed conversation and is locked: it cannot be deleted.', OLD.conversation_id
      USING ERRCODE = 'check_violation', HINT = 'seed_locked';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER conversations_seed_lock_delete BEFORE DELETE ON conversations
  FOR EACH ROW EXECUTE FUNCTION brightrun_refuse_seed_delete();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION brightrun_refuse_seed_turn_change() RETURNS trigger AS $$
DECLARE
  seed_id text;
BEGIN
  SELECT conversation_id INTO seed_id FROM conversations WHERE id = OLD.conversation_id AND is_seed;
  IF seed_id IS NOT NULL THEN
    RAISE EXCEPTION 'Conversation % is a seed conversation and is locked: its turns cannot be changed.', seed_id
      USING ERRCODE = 'check_violation', HINT = 'seed_locked';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER conversation_turns_seed_lock BEFORE UPDATE OR DELETE ON conversation_turns
  FOR EACH ROW EXECUTE FUNCTION brightrun_refuse_seed_turn_change();
