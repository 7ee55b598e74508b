from archdsl.launch import run

run()
